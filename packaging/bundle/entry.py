"""Entry point of the frozen program: the bundle is the `discreet` command line, nothing more."""

import sys

from discreet.cli import main

if __name__ == "__main__":
    sys.exit(main())
