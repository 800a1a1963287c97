#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# plot-bench.sh CSV INIT_ON_ALLOC PNG TITLE
#
# Plot one profile of bench.sh's CSV with gnuplot: for each scenario, each
# method's median as a ratio to the floor max(alloc, io) of its boot, at
# 512 MiB (or the largest size); the floor is the line at 1.
set -euo pipefail
csv=${1:?usage: plot-bench.sh CSV INIT_ON_ALLOC PNG TITLE} ioa=${2:?} png=${3:?} title=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

methods="alloc+io read odirect-mmap uring-mmap udmabuf heap-sync heap-async"
size=$(awk -F, -v p="$ioa" 'NR > 1 && $2 == p { print $3 }' "$csv" | sort -n | uniq |
	awk '$1 == 536870912 { s = $1 } { l = $1 } END { print s ? s : l }')
[ -n "$size" ] || { echo "plot-bench.sh: no rows for init_on_alloc=$ioa in $csv" >&2; exit 1; }

# One row per scenario, one column per method (0 where it did not run).
awk -F, -v p="$ioa" -v b="$size" -v ms="$methods" '
	NR > 1 && $2 == p && $3 == b {
		if (!($1 in seen)) { seen[$1] = 1; sc[++n] = $1 }
		if ($5 == "ok") v[$1, $4] = $10
	}
	END {
		k = split(ms, M, " ")
		for (i = 1; i <= n; i++) {
			printf "%s", sc[i]
			for (j = 1; j <= k; j++) printf " %s", ((sc[i], M[j]) in v) ? v[sc[i], M[j]] : 0
			printf "\n"
		}
	}' "$csv" > "$tmp/data"

{
	echo "set terminal pngcairo size 1000,520 font ',10'"
	echo "set output '$png'"
	echo "set termoption noenhanced"
	echo "set title '$title, init_on_alloc=$ioa, $((size >> 20)) MiB: load time / max(alloc, io) (QEMU TCG)'"
	echo "set style data histograms; set style histogram clustered gap 1"
	echo "set style fill solid 0.7 border -1; set boxwidth 0.9"
	echo "set ylabel 'x floor'; set yrange [0:*]; set grid ytics; set key top left"
	plot="plot" col=2
	for m in $methods; do
		plot="$plot '$tmp/data' using $col:xtic(1) title '$m',"
		col=$((col + 1))
	done
	echo "$plot 1 with lines lt -1 lw 2 title 'floor'"
} > "$tmp/plot.gp"
gnuplot "$tmp/plot.gp"
