"""Errors a user can cause. Anything else escaping the package is a bug."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: the message names the file, the field and what to do about it."""

    def __init__(self, file: str, field: str, problem: str, fix: str):
        self.file, self.field, self.problem, self.fix = str(file), field, problem, fix
        super().__init__(f"{file}: field '{field}': {problem}. Fix: {fix}")


class ParamsError(InputError):
    """A parameter file or parameter value is wrong."""


class NotebookInputError(InputError):
    """An InputError raised inside a notebook of a run: the notebook's name and its message
    (what the command line prints instead of papermill's traceback)."""

    def __init__(self, notebook: str, message: str):
        ValueError.__init__(self, f"{notebook}: {message}")
        self.notebook = notebook
        self.file, self.field, self.problem, self.fix = notebook, "", message, ""
