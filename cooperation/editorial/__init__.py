"""The editorial workflow (draft, in review, published, archived) and the accounts that take
part in it: editors and reviewers, their groups and rights, sign-in limits and tokens."""
