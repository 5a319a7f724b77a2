"""The countries an area can belong to: the LUF's three nations of Great Britain."""

COUNTRIES = ("England", "Scotland", "Wales")
