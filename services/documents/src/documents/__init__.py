"""Generated and uploaded PDFs, validation, signatures, verification codes."""
