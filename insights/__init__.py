"""What facilitators learn from the query log: knowledge gaps and how knowledge is used."""
