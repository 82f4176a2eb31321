"""Sessions, uploads and tags: what a user brought, validated and stored."""
