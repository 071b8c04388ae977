"""Personal data that must not reach a signal: the pure check lives in
`maatwerk.core.personal_data` (decisions uses it too for collective approaches); this module
keeps the names signals code and tests use."""

from maatwerk.core.personal_data import (  # noqa: F401
    BSN,
    EMAIL,
    NAME,
    PHONE,
    POSTCODE,
    found,
)
