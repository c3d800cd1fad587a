"""The backtest (``innovsim backtest``): train on the real series up to a year, forecast the later
years, and score the forecast against what happened (:mod:`.score`) beside naive forecasters."""
