"""The bundled demo: sample articles, the newspaper page typesetter and edition composer."""
