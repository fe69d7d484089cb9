"""`python -m discreet.cli`: the same as the `discreet` command."""

import sys

from discreet.cli import main

sys.exit(main())
