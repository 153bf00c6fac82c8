"""One module per official file format. Each exposes `parse(ctx, path) -> Iterator[Entity]`."""
