"""The Qt-free, SQL-free core: data model, schema, offsets, validation, layout, project facade."""
