"""Packaging for the 24-hour government self-service kiosk.

`pip install .` never compiles dlib: the face pipeline depends on the prebuilt
`dlib-bin` wheel and on `face-recognition-models`; the thin `face-recognition`
wrapper is installed without its dependencies by `make setup` (it asks for
source `dlib`).
"""
from pathlib import Path

from setuptools import find_packages, setup

ROOT = Path(__file__).parent
PACKAGE_DATA = {  # kiosk.spec reads it too (the bundle's data files)
    "config": ["*.toml", "*.yaml", "*.json", "defaults.d/*.toml", "scenarios/*.yaml",
               "profiles/**/*", "catalogue/**/*", "demo/*"],
    "ui": ["qml/**/*", "journeys/**/*.qml", "journeys/**/*.svg", "i18n/*.ts", "i18n/*.qm", "assets/**/*"],
    "district_server": ["alembic.ini", "alembic/**/*.py", "**/templates/**/*", "**/static/**/*"],
    "devices": ["**/*.json", "**/*.c", "**/*.h", "**/profiles/**/*"],
}
version = {}
exec((ROOT / "kiosk" / "_version.py").read_text(), version)

setup(
    name="gov-kiosk",
    version=version["__version__"],
    description="24-hour government self-service kiosk: Qt Quick app, devices, offline queue, district server",
    long_description=(ROOT / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.11",
    packages=find_packages(include=["launcher*", "ui*", "kiosk*", "devices*", "offline_queue*",
                                    "foundation*", "wire*", "district_server*", "config*"]),
    package_data=PACKAGE_DATA,
    include_package_data=True,
    install_requires=[
        "pydantic>=2.6,<3",
        "PyYAML>=6",
        # 6.12.0 drops a reference to True on every Signal.emit() (Python < 3.12 aborts with
        # "bool_dealloc" after ~10,000 emits: minutes of a running kiosk); 6.11.3 does not
        "PySide6==6.11.3",
        "pyscard>=2.0",
        "pyserial>=3.5",
        "python-escpos==3.1",
        "opencv-python-headless>=4.8",
        "numpy>=1.26",
        "Pillow>=10",
        "qrcode>=7.4",
        "zxing-cpp>=3.1",  # the camera code reader's decoder (bench/codes.py)
        "dlib-bin>=19.24",
        "face-recognition-models>=0.3",
        "setuptools<81",  # face_recognition_models imports pkg_resources
        "asn1crypto>=1.5",
        "cryptography>=44",
        "requests>=2.31",
        "sqlite-utils>=3.36",
        "pypinyin>=0.50",
        "fastapi>=0.110",
        "uvicorn>=0.29",
        "SQLAlchemy>=2.0",
        "alembic>=1.13",
        "httpx>=0.27",
        "pypdf>=5",  # page count of a PDF a citizen uploads on the follow-up page
    ],
    extras_require={
        # uvicorn serves on httptools and uvloop when they are installed (h11 and asyncio
        # otherwise): a 16 MiB submission batch parsed in C, not pure Python
        "server": ["psycopg[binary]>=3.1", "httptools>=0.6", "uvloop>=0.19"],
        "usb-printer": ["pyusb>=1.2"],  # the printer's `usb` backend (python-escpos Usb)
        "test": [
            "pytest>=8",
            "pytest-qt>=4.4",
            "pytest-timeout>=2.3",
            "hypothesis>=6.100",
            "coverage>=7.4",  # bench/fuzz.py: how far the fuzz inputs got
            "import-linter>=2.0",
            "schemathesis>=3.30",
            "persist-queue>=1.0",
            "psycopg[binary]>=3.1",
            "selenium>=4.20",
            "python-xlib>=0.33",  # the windowed demo's test: windows, screenshot, tap on Xvfb
            "py-spy==0.4.3",  # scripts/stress-shell.sh: every thread's stacks when a build hangs
        ],
        # the one-folder bundle (kiosk.spec, scripts/test-bundle.sh); pinned: a new release
        # may collect a different set of Qt plug-ins
        "bundle": ["pyinstaller==6.22.3", "pyinstaller-hooks-contrib==2026.10"],
    },
    entry_points={
        "console_scripts": [
            "kiosk=launcher.cli:main",
            "district-server=district_server.cli:main",
        ],
    },
)
