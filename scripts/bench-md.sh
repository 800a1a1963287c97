#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-md.sh CSV [--headline]
#
# Turn bench.sh's CSV into Markdown: per profile (init_on_alloc=1 first)
# and file size, a table with a row per method and a column per scenario,
# "median ms (ratio to the floor)", the floor being max(alloc, io) of the
# same boot; heap-async against heap-sync and against alloc+io (both
# halves at once: the overlap this machine allows); then the goals of
# issue 17, met or missed, a model of what the overlap saves on a phone,
# labelled as such, and, from timeline-BASE.csv beside the CSV (if
# there), when the allocation and the reads of the watched runs ended. With --headline, the headline table (init_on_alloc=1,
# 512 MiB or the largest size) sits between <!-- headline --> markers,
# which scripts/figures.sh copies into the README and the cover letters.
set -euo pipefail
csv=${1:?usage: bench-md.sh CSV [--headline]}
headline=0
[ "${2:-}" != --headline ] || headline=1

awk -F, -v headline=$headline '
NR == 1 { next }
{
	sc = $1; p = $2; b = $3; m = $4
	if (!(sc in seen_sc)) { seen_sc[sc] = 1; scs[++nsc] = sc }
	if (!(p in seen_p)) { seen_p[p] = 1; ps[++np] = p }
	if (!(b in seen_b)) { seen_b[b] = 1; bs[++nb] = b }
	st[sc, p, b, m] = $5
	med[sc, p, b, m] = $8
	x[sc, p, b, m] = $10
}
function ok(sc, p, b, m) { return ((sc, p, b, m) in st) && st[sc, p, b, m] == "ok" }
# As the program: max(alloc, io), but io alone with init_on_alloc=0,
# where a plain allocation clears its pages and a load need not.
function floorv(sc, p, b) {
	if (p == 0) return ok(sc, p, b, "io") ? med[sc, p, b, "io"] : 0
	if (!ok(sc, p, b, "alloc") || !ok(sc, p, b, "io")) return 0
	return med[sc, p, b, "alloc"] > med[sc, p, b, "io"] ? med[sc, p, b, "alloc"] : med[sc, p, b, "io"]
}
function profile_name(p) {
	return p == 1 ? "init_on_alloc=1 (phones on GKI, several distributions)" : \
		"init_on_alloc=0 (clearing left to __GFP_ZERO)"
}
# A row of m1 / m2, the medians of each scenario of one profile and size.
function ratio_row(p, b, m1, m2,   i, sc) {
	printf "| %s / %s |", m1, m2
	for (i = 1; i <= nsc; i++) {
		sc = scs[i]
		if (ok(sc, p, b, m1) && ok(sc, p, b, m2))
			printf " %.2f |", med[sc, p, b, m1] / med[sc, p, b, m2]
		else printf " - |"
	}
	printf "\n"
}
function table(p, b, head,   i, k, m, sc, f) {
	if (head) print "<!-- headline -->"
	printf "| %s, %d MiB |", (p == 1 ? "init_on_alloc=1" : "init_on_alloc=0"), b / 1048576
	for (i = 1; i <= nsc; i++) printf " %s |", scs[i]
	printf "\n|---|"
	for (i = 1; i <= nsc; i++) printf "---:|"
	printf "\n"
	for (k = 1; k <= NM; k++) {
		m = M[k]
		if (m == "heap-sync") {
			printf "| **floor** = %s |", p == 0 ? "io" : "max(alloc, io)"
			for (i = 1; i <= nsc; i++) {
				f = floorv(scs[i], p, b)
				printf (f ? " **%.0f** |" : " - |"), f
			}
			printf "\n"
		}
		printf "| `%s` |", m
		for (i = 1; i <= nsc; i++) {
			sc = scs[i]
			if (!((sc, p, b, m) in st)) printf " - |"
			else if (!ok(sc, p, b, m)) printf " %s |", st[sc, p, b, m]
			else if (m == "alloc" || m == "io") printf " %.0f |", med[sc, p, b, m]
			else printf " %.0f (%.2f) |", med[sc, p, b, m], x[sc, p, b, m]
		}
		printf "\n"
	}
	ratio_row(p, b, "heap-async", "heap-sync")
	ratio_row(p, b, "heap-async", "alloc+io")
	if (head) print "<!-- /headline -->"
}
function goal(text, where, val, limit,   v) {
	if (val == "") { printf "| %s | %s | no data | - |\n", text, where; return }
	printf "| %s | %s | %.2f | %s |\n", text, where, val, val <= limit ? "met" : "**missed**"
}
END {
	NM = split("alloc io alloc+io read odirect-mmap uring-mmap udmabuf heap-sync heap-async", M, " ")
	hb = 0
	for (j = 1; j <= nb; j++) if (bs[j] == 536870912) hb = bs[j]
	if (!hb) for (j = 1; j <= nb; j++) if (bs[j] > hb) hb = bs[j]
	# init_on_alloc=1 first
	n = 0
	for (i = 1; i <= np; i++) if (ps[i] == 1) order[++n] = 1
	for (i = 1; i <= np; i++) if (ps[i] != 1) order[++n] = ps[i]
	print "Median ms of the runs of one boot per profile and scenario, and in"
	print "brackets the ratio to that boot'"'"'s floor: max(alloc, io), or with"
	print "init_on_alloc=0 io alone (a plain allocation clears its pages there"
	print "and a load need not, so its allocation half cannot be measured from"
	print "userspace; the floor is then a lower bound). `alloc+io` runs both"
	print "halves at once in two threads: what they cost each other on this"
	print "machine, where (QEMU TCG) the host'"'"'s CPUs both clear the guest'"'"'s"
	print "memory and move the emulated disk'"'"'s data. heap-async / alloc+io"
	print "at or under 1 means the heap'"'"'s overlap lost nothing that two"
	print "independent threads would not. QEMU TCG:"
	print "ratios carry over to other machines, milliseconds do not; clearing"
	print "memory costs 10-50x more against I/O here than on a phone."
	for (i = 1; i <= n; i++) {
		p = order[i]
		printf "\n### %s\n", profile_name(p)
		for (j = 1; j <= nb; j++) {
			printf "\n"
			table(p, bs[j], headline && p == 1 && bs[j] == hb)
		}
	}

	# bench.sh derives the balanced rate from the largest size.
	mx = 0
	for (j = 1; j <= nb; j++) if (bs[j] > mx) mx = bs[j]
	if (ok("clean", 1, mx, "alloc") && ok("clean", 1, mx, "io") &&
	    med["clean", 1, mx, "alloc"] < med["clean", 1, mx, "io"] && ("balanced", 1, mx, "alloc") in st) {
		printf "\nIn this run a plain allocation of %d MiB (%.0f ms) was faster than\n", mx / 1048576, med["clean", 1, mx, "alloc"]
		printf "reading it (%.0f ms) on the unthrottled disk (clean, init_on_alloc=1), so the\n", med["clean", 1, mx, "io"]
		print "balanced rate, bytes / alloc ms, is above what the disk delivers and"
		print "its throttle does not bind: the balanced boots ran on the clean disk,"
		print "each run after a drain, and the clean boots are already balanced."
	}
	print "\nIn the throttled boots (balanced, io-bound) QEMU lets an idle drive"
	print "bank a tenth of a second of its rate, and cannot be told to bank less"
	print "(throttling.bps-read-max below bps-read is refused). Every method that"
	print "allocates before it reads, all but heap-async, spends that bank at the"
	print "host'"'"'s speed when its reads begin, so its time is understated by up"
	print "to 0.1 s of reading; heap-async reads from the start and banks nothing."
	print "Under pressure, udmabuf'"'"'s memfd gets transparent huge pages from"
	print "shmem, which can come cheaper than the system heap'"'"'s own allocation"
	print "(the floor'"'"'s alloc): there it may beat the floor."
	print "\n### Goals (ratios in one boot)\n"
	print "| goal | where | measured | |"
	print "|---|---|---:|---|"
	v = ""
	if (ok("balanced", 1, hb, "heap-async")) v = x["balanced", 1, hb, "heap-async"]
	goal("heap-async <= 1.05 x floor", sprintf("init_on_alloc=1, balanced, %d MiB", hb / 1048576), v, 1.05)
	v = ""
	if (ok("balanced", 1, hb, "heap-async") && ok("balanced", 1, hb, "heap-sync"))
		v = med["balanced", 1, hb, "heap-async"] / med["balanced", 1, hb, "heap-sync"]
	goal("heap-async <= 0.65 x heap-sync", sprintf("init_on_alloc=1, balanced, %d MiB", hb / 1048576), v, 0.65)
	# the worst case of each remaining goal, over every boot and size
	w1 = ""; w2 = ""; w3 = ""
	for (key in st) {
		split(key, K, SUBSEP); sc = K[1]; p = K[2]; b = K[3]; m = K[4]
		if (m != "heap-async" || !ok(sc, p, b, m)) continue
		where = sprintf("init_on_alloc=%d, %s, %d MiB", p, sc, b / 1048576)
		if (w1 == "" || x[key] > w1) { w1 = x[key]; w1at = where }
		if (sc == "balanced" || sc == "pressure") {
			best = 0
			split("read odirect-mmap uring-mmap udmabuf", U, " ")
			for (u = 1; u <= 4; u++)
				if (ok(sc, p, b, U[u]) && (!best || med[sc, p, b, U[u]] < best)) {
					best = med[sc, p, b, U[u]]; bestm = U[u]
				}
			if (best && (w2 == "" || med[key] / best > w2)) {
				w2 = med[key] / best; w2at = where " (best: " bestm ")"
			}
		}
		if (sc == "pressure" && ok(sc, p, b, "read")) {
			r = med[key] / med[sc, p, b, "read"]
			if (w3 == "" || r > w3) { w3 = r; w3at = where }
		}
	}
	goal("heap-async <= 1.15 x floor, every boot and size", "worst: " w1at, w1, 1.15)
	goal("heap-async <= 0.8 x the best userspace method", "balanced and pressure, worst: " w2at, w2, 0.8)
	goal("heap-async <= 0.5 x buffered read()", "pressure, worst: " w3at, w3, 0.5)

	# The model: the guest says how much of the shorter phase the
	# overlap hides; published phone rates say how long the phases are.
	if (!ok("clean", 1, hb, "alloc") || !ok("clean", 1, hb, "io") ||
	    !ok("balanced", 1, hb, "heap-async") || !ok("balanced", 1, hb, "heap-sync") ||
	    !ok("balanced", 1, hb, "alloc") || !ok("balanced", 1, hb, "io"))
		exit
	a1 = med["clean", 1, hb, "alloc"]; io = med["clean", 1, hb, "io"]
	mb = hb / 1e6
	printf "\n### A model of a phone (a model, not a measurement)\n\n"
	printf "Measured in the guest (%d MiB, clean, init_on_alloc=1): a plain allocation,\n", hb / 1048576
	printf "clearing included, at %.2f GB/s; O_DIRECT reads at %.2f GB/s.\n", mb / a1, mb / io
	s = med["balanced", 1, hb, "heap-sync"]; y = med["balanced", 1, hb, "heap-async"]
	ab = med["balanced", 1, hb, "alloc"]; ib = med["balanced", 1, hb, "io"]
	sh = ab < ib ? ab : ib
	h = (s - y) / sh; if (h > 1) h = 1; if (h < 0) h = 0
	printf "In the balanced init_on_alloc=1 boot the overlap hid %.0f%% of the shorter\n", h * 100
	printf "phase ((heap-sync - heap-async) / min(alloc, io) = (%.0f - %.0f) / %.0f).\n\n", s, y, sh
	print "On a phone, with UFS 4.0 reading at 4.2 GB/s, clearing at 10 or 40 GB/s,"
	print "the page allocator at 20 ms per GB besides clearing (Huan: 3 GB in"
	print "about 60 ms), and the same hidden fraction, the files of the seed"
	print "documents would load in:\n"
	print "| file | clearing | T(alloc) | T(I/O) | alloc, then read | overlapped | saved |"
	print "|---|---:|---:|---:|---:|---:|---:|"
	split("3.21 3", F, " "); split("10 40", C, " ")
	for (fi = 1; fi <= 2; fi++)
		for (ci = 1; ci <= 2; ci++) {
			gb = F[fi]; ta = gb * 20 + gb / C[ci] * 1000; ti = gb / 4.2 * 1000
			seq = ta + ti; lo = ta < ti ? ta : ti; hi = ta < ti ? ti : ta
			ov = hi + (1 - h) * lo
			printf "| %s GB | %s GB/s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms (%.0f%%) |\n",
				gb, C[ci], ta, ti, seq, ov, seq - ov, (seq - ov) * 100 / seq
		}
}' "$csv"

# The watched runs: which half each load waited for.
tl=$(dirname "$csv")/timeline-$(basename "$csv" | sed 's/^bench-//')
[ -f "$tl" ] && [ "$(wc -l < "$tl")" -gt 1 ] || exit 0
awk -F, '
NR == 1 { next }
{ n++; sc[n] = $1; p[n] = $2; b[n] = $3; m[n] = $4; e[n] = $5; a[n] = $6; r[n] = $7; mib[n] = $8 }
function ms(v) { return v < 0 ? "-" : sprintf("%.0f", v) }
END {
	print "\n### When each half ended (one watched run per method and boot)\n"
	print "One more run of each, untimed by the rounds, with a second thread"
	print "reading MemFree and the disk'"'"'s sectors read every millisecond: when"
	print "97% of the buffer was allocated and 97% of the file read, in ms from"
	print "the start of the run. A load that ends well after its allocation"
	print "waited for reads; one whose allocation took longer than `alloc` alone"
	print "was slowed by what ran beside it.\n"
	print "| init_on_alloc | scenario | MiB | method | end | 97% allocated | MiB read by then | 97% read |"
	print "|---|---|---:|---|---:|---:|---:|---:|"
	for (k = 1; k <= n; k++)
		printf "| %s | %s | %d | `%s` | %.0f | %s | %s | %s |\n", p[k], sc[k], b[k] / 1048576,
			m[k], e[k], ms(a[k]), ms(mib[k]), ms(r[k])
}' "$tl"
