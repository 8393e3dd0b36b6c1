"""Running the pipeline: in-process (embedded default) or as Redis Streams workers."""
