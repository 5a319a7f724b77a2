"""The embedded GB local-authority dataset: building it, loading it, validating a user's own."""

from allocsim.datasets.load import display_path, load_boundaries, load_dataset, load_metadata, validate_file

__all__ = ["display_path", "load_boundaries", "load_dataset", "load_metadata", "validate_file"]
