"""The community pages: the feed, posts, follows, likes, comments and reports."""
