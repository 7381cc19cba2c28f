"""Documents' adapters: the object stores, the PDF renderer and the PDF checker, each over its library or server."""
