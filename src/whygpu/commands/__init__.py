"""One module per command: ``register(subparsers)`` declares its arguments, ``run(args)`` does the work."""
