#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's main command: build the patched mainline "bench" kernel,
# boot it, load a 512 MiB model-sized file into a dma-buf every way,
# clean and under memory pressure, and print the comparison.
exec "$(dirname "$0")/bench.sh" --quick "${1:-mainline}"
