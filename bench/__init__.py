"""`make bench`: this project's pages side by side with plain django-oscar (see bench/README.md)."""
