"""``python -m stridewise``: the same command line as the ``stridewise`` script."""

from stridewise.cli.main import main

if __name__ == "__main__":
    main()
