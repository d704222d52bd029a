"""Language models (Part II): n-gram and neural language models."""


__all__ = []
