"""The meeting pack as a PDF: the PPTX converted by LibreOffice Impress, headless (``soffice
--convert-to pdf``), so that the PDF holds exactly the slides of the PPTX. No network is used.

Fonts: the PPTX for Office names 微软雅黑 (Microsoft YaHei). A machine without it would have
LibreOffice substitute some font — on Debian a Japanese cut of Noto (different forms of some
characters) and DejaVu for Latin — so the PDF is made from a copy of the pack that names a CJK font
this machine has (:func:`pdf_font`: Microsoft YaHei if installed, else Noto Sans CJK SC, …), and the
fonts are embedded in the PDF.

Needs ``soffice`` on PATH (Debian: ``apt-get install libreoffice-impress-nogui``; ``scripts/test.sh``
installs it); without it :class:`PdfEngineMissing` says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from reports.pack_model import Pack
from reports.pptx_pack import FONT, write_pptx

PDF_FONTS = (FONT, "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
TIMEOUT_S = 180


class PdfEngineMissing(RuntimeError):
    """No LibreOffice (``soffice``) to render the PDF with."""


class PdfConversionFailed(RuntimeError):
    """LibreOffice ran and made no PDF."""


def soffice() -> str | None:
    """The LibreOffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice() is not None


MISSING_MESSAGE = (
    "the PDF is made by LibreOffice Impress, and 'soffice' is not on PATH "
    "(Debian: apt-get install libreoffice-impress-nogui fonts-noto-cjk)"
)


@cache
def pdf_font() -> str:
    """The first of :data:`PDF_FONTS` that fontconfig has (what LibreOffice draws with)."""
    for family in PDF_FONTS:
        try:
            found = subprocess.run(
                ["fc-list", f":family={family}", "family"], capture_output=True, text=True, timeout=20
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return FONT
        if found.strip():
            return family
    return FONT


def convert(pptx: Path, out_dir: Path) -> Path:
    """``soffice --headless --convert-to pdf`` with a profile of its own (so that it neither waits for
    nor disturbs another LibreOffice of the same user). Returns the PDF's path."""
    exe = soffice()
    if exe is None:
        raise PdfEngineMissing(MISSING_MESSAGE)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            exe,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            "pdf:impress_pdf_Export",
            "--outdir",
            str(out_dir),
            str(pptx),
        ]
        env = {**os.environ, "HOME": profile}  # LibreOffice writes under HOME too
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, env=env)
        except subprocess.TimeoutExpired as exc:
            raise PdfConversionFailed(f"soffice did not finish within {TIMEOUT_S} s") from exc
    pdf = out_dir / (pptx.stem + ".pdf")
    if done.returncode != 0 or not pdf.is_file():
        why = (done.stderr or done.stdout).strip().splitlines()
        raise PdfConversionFailed(
            "soffice made no PDF (is libreoffice-impress installed? Calc alone cannot "
            f"convert slides): {why[-1] if why else f'exit code {done.returncode}'}"
        )
    return pdf


def pdf_bytes(pack: Pack, font: str | None = None) -> bytes:
    """The pack as PDF bytes (one page per slide)."""
    if not pdf_available():
        raise PdfEngineMissing(MISSING_MESSAGE)
    with tempfile.TemporaryDirectory(prefix="pack-") as tmp:
        pptx = write_pptx(pack, Path(tmp) / "pack.pptx", font or pdf_font())
        return convert(pptx, Path(tmp)).read_bytes()


def write_pdf(pack: Pack, out: str | Path, font: str | None = None) -> Path:
    out = Path(out)
    out.write_bytes(pdf_bytes(pack, font))
    return out
