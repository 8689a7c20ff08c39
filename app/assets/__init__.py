"""Assets: every physical item at every site."""
