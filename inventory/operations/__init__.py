"""Operations: the verbs that change the domain. They flush but never commit."""
