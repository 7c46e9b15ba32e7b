#!/bin/sh
echo "coverage is not available offline (test/support/offline-repositories/remote_coverage_tools)" >&2
exit 1
