"""Command line (placeholder until the CLI is written)."""
def main(argv=None):
    return 0
