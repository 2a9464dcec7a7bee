// Placeholder replaced by the CLI implementation.
process.exit(0);
