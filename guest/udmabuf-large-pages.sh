#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Upstream's udmabuf selftest at page sizes above 4 KiB, installed by
# scripts/test-base.sh in place of drivers/dma-buf/udmabuf (renamed
# udmabuf.bin) for the arm64-16k variant only. Its tests 6 and 7 size a
# hugetlb memfd as 1024 "2 MB" huge pages computed in an unsigned int,
# getpagesize() * 512 * 1024: at 16 KiB pages that is 8 GiB, which wraps
# to 0 in 32 bits, and the mmap() of length 0 fails (EINVAL): "ubuf_fd
# mmap fail", exit 1. (With the size computed in 64 bits, 8 GiB of
# 32 MiB huge pages could not be reserved in the guest either.)
#
# Exactly that failure, after tests 1 to 5 passed, becomes a skip
# (exit 4, KSFT_SKIP: the two results never reported count as skipped,
# config/expected-skips says why); anything else is reported as it is.
out=$(./udmabuf.bin 2>&1)
rc=$?
printf '%s\n' "$out"
passed=$(printf '%s\n' "$out" | grep -c '^ok [1-5] drivers/dma-buf/udmabuf: \[PASS,test-[1-5]\]$')
if [ "$rc" -eq 1 ] && [ "$passed" -eq 5 ] &&
   ! printf '%s\n' "$out" | grep -q '^not ok' &&
   [ "$(printf '%s\n' "$out" | tail -n 1)" = "# drivers/dma-buf/udmabuf: ubuf_fd mmap fail" ] &&
   [ "$(printf '%s\n' "$out" | grep -c '^ok ')" -eq 5 ]; then
	echo "# drivers/dma-buf/udmabuf: [skip] tests 6 and 7: a 32-bit size of 1024 huge pages wraps to 0 at 16 KiB pages"
	exit 4
fi
exit "$rc"
