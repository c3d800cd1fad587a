"""The world around the agents: places and fields, outside drivers, competing clusters."""
