"""Printing for the commands: every text fitted to the terminal's width."""

from __future__ import annotations

import click

from allocsim.text.tables import fit


def say(text: str, err: bool = False) -> None:
    """Print ``text`` (to stderr with ``err``), its prose lines wrapped to the terminal's width."""
    click.echo(fit(text), err=err)
