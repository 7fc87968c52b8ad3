"""The API's contract: request and response models, one module per resource (request bodies for
runs are app.training.config's)."""
