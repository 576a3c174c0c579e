#!/bin/bash
for u in "$@"; do
 l=$(echo "$u" | tr A-Z a-z | sed 's/#.*//; s:/$::')
 a=$(grep -iF -x "$l" /work/wt/known_sources.txt; grep -iF -x "$l/" /work/wt/known_sources.txt; grep -iF "$l" /work/wt/known_sources.txt | grep -iE "^$l([/#].*)?$")
 b=$(grep -rilF "$l" /work/wt/collect/ --include=*.json)
 if [ -n "$a$b" ]; then echo "KNOWN $u"; else echo "new $u"; fi
done
