"""`aigovkg serve`: the SPARQL 1.1 endpoint, linked-data pages, query editor and downloads."""
