"""Analysis of the built graph: naming things, status on a date, regime comparison, summit
participation, networks and plots.

Every function here returns DataFrames, networkx graphs or matplotlib figures and never prints;
the command line (`aigovkg compare`, `status`, `timeline`, `party`, `summits`, `network`, `plot`)
and the Python API (`aigovkg.load()`) only render what these return. The SPARQL behind them lives
in `queries/app/analysis/`. Submodules are imported on use, so `import aigovkg` stays fast.
"""
