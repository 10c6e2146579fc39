"""complaint-notebook core."""
