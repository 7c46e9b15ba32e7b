#!/bin/sh
echo "coverage is not available with the offline stand-in for @remote_coverage_tools" >&2
exit 1
