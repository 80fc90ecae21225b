"""What changed between two compilations of a year: the figures that differ, old → new.

The figures are nested JSON (``shapes.AnnualFigures``); each leaf gets a path such as
``demands.total.replied`` or ``demands.by_kind[complaint].replied`` (rows of a list are named by their
key, period, scope, name or action, so a row that moved in the list is still the same row). The
moment of compilation (``as_of``) is not a figure."""

from typing import Any

NOT_FIGURES = frozenset({"as_of"})
ROW_KEYS = ("period", "key", "scope", "name", "action", "area", "kind", "site")


def _row_name(row: Any, index: int) -> str:
    if isinstance(row, dict):
        parts = [str(row[key]) for key in ROW_KEYS if key in row and not isinstance(row[key], dict | list)]
        if parts:
            return "/".join(parts)
    return str(index)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of ``value`` by its path."""
    if isinstance(value, dict):
        leaves: dict[str, Any] = {}
        for key, item in value.items():
            if not prefix and key in NOT_FIGURES:
                continue
            leaves.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return leaves
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return {prefix: value}  # a plain list (twelve months, names) is one figure
        leaves = {}
        for index, item in enumerate(value):
            leaves.update(flatten(item, f"{prefix}[{_row_name(item, index)}]"))
        return leaves
    return {prefix: value}


def figure_changes(old: dict, new: dict) -> list[dict[str, Any]]:
    """The figures whose values differ, in the order of the new figures (those gone at the end):
    ``[{"figure": path, "old": value or None, "new": value or None}, …]``. A figure the old
    compilation did not have yet (added to the summary since, such as the alerts) is a change only
    if it counts something: a new 0 or None is not a new revision."""
    before, after = flatten(old), flatten(new)
    changes = [
        {"figure": path, "old": before.get(path), "new": value}
        for path, value in after.items()
        if (path not in before and value not in (0, None)) or (path in before and before[path] != value)
    ]
    changes += [{"figure": path, "old": value, "new": None} for path, value in before.items() if path not in after]
    return changes
