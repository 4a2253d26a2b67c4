"""`python -m gitm.cli VERB ...`, the same as the `gitm` command."""

from gitm.cli import main

raise SystemExit(main())
