"""The resolution centre: disputes opened on a case, answered, settled or ruled on the written record."""
