"""Entry point for the `sscard` console script and `python -m sscard`."""


def main() -> None:
    """Run the command line and exit with its status."""
    from sscard.main import run

    raise SystemExit(run())


if __name__ == "__main__":
    main()
