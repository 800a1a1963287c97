#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# plot-bench.sh CSV PNG TITLE
#
# Plot bench.sh's CSV with gnuplot: per scenario, load time against file
# size for each method (left), and the ratio to the floor max(alloc, io)
# at the largest size (right).
set -euo pipefail
csv=${1:?usage: plot-bench.sh CSV PNG TITLE} png=${2:?} title=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

scenarios=$(tail -n +2 "$csv" | cut -d, -f1 | awk '!seen[$0]++')
methods="read odirect-mmap udmabuf heap-sync heap-async alloc io"
nsc=$(echo "$scenarios" | wc -l)
maxb=$(tail -n +2 "$csv" | cut -d, -f2 | sort -n | tail -n 1)

for sc in $scenarios; do
	for m in $methods; do
		awk -F, -v s="$sc" -v m="$m" '$1 == s && $3 == m && $4 == "ok" {
			printf "%.0f %s\n", $2 / 1048576, $5 }' "$csv" | sort -n > "$tmp/$sc-$m.dat"
	done
	awk -F, -v s="$sc" -v b="$maxb" '$1 == s && $2 == b && $4 == "ok" &&
		$3 != "alloc" && $3 != "io" { print $3, $6 }' "$csv" > "$tmp/$sc-ratio.dat"
done

{
	echo "set terminal pngcairo size 1200,$((360 * nsc)) font ',9'"
	echo "set output '$png'"
	echo "set multiplot layout $nsc,2 title '$title: loading a file into a dma-buf'"
	echo "set grid"
	for sc in $scenarios; do
		echo "set title '$sc: time against file size'"
		echo "set xlabel 'file size (MiB)'; set ylabel 'ms'; set key left top"
		echo "set style data linespoints; unset style fill; set xtics auto"
		plot="plot" lt=0
		for m in $methods; do
			lt=$((lt + 1))
			[ -s "$tmp/$sc-$m.dat" ] || continue
			plot="$plot '$tmp/$sc-$m.dat' using 1:2 lt $lt title '$m',"
		done
		echo "${plot%,}"
		echo "set title '$sc: ratio to max(alloc, io), $((maxb >> 20)) MiB'"
		echo "set xlabel ''; set ylabel 'x floor'; unset key"
		echo "set style data histograms; set style fill solid 0.6; set boxwidth 0.7"
		echo "set yrange [0:*]"
		if [ -s "$tmp/$sc-ratio.dat" ]; then
			echo "plot '$tmp/$sc-ratio.dat' using 2:xtic(1) notitle, 1 with lines lt 0 notitle"
		else
			echo "set label 1 'no data' at graph 0.5,0.5; plot 0 notitle; unset label 1"
		fi
		echo "set yrange [*:*]"
	done
	echo "unset multiplot"
} > "$tmp/plot.gp"
gnuplot "$tmp/plot.gp"
