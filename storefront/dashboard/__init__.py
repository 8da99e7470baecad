"""The signed-in home page: what waits for the reader, as client and as designer."""
