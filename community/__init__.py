"""The community: follows, designers' posts (pictures, a 3D model, tags), likes, comments, reports."""
