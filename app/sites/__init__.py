"""Sites: schools, offices and data centres."""
