import sys

from sprintlock._cli.main import main

if __name__ == "__main__":
    sys.exit(main())
