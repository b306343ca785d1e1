"""What every stored file shares: the durable write, paths, serialisers, the JSON file with its
previous copy and corrupt folder, migrations, change events and process checks."""
