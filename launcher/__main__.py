import multiprocessing
import sys

from launcher.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the face pipeline's child process in a frozen bundle
    sys.exit(main())
