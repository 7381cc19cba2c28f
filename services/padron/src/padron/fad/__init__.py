"""FAD: a local government proposes to update a beneficiary's data; staff approve or reject it."""
