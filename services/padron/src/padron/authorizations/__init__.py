"""Collection authorizations: who may collect a beneficiary's pension, and until when."""
