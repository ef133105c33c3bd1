"""A setting as the settings page shows it (services.saved_settings.rows): no secrets are settings."""

from typing_extensions import TypedDict


class SettingRow(TypedDict):
    name: str
    value: object
    """The value in effect (a string, number or boolean, as config validated it)."""
    default: object
    help: str
    requirement: str
    source: str
    """environment, saved or default."""
    boolean: bool
    editable: bool
    at_next_start: bool
