# A place's point (akg:location with akg:latitude and akg:longitude, from the registry) is also
# written as a GeoSPARQL WKT literal, longitude first as WKT's default CRS84 wants, so that
# GeoSPARQL-aware clients read it (the place gets geo:hasDefaultGeometry / geo:hasGeometry and
# schema:geo from the ontology's subproperties).
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
# scope: union
# reads: ?place akg:location ?c, ?c akg:latitude ?lat, ?c akg:longitude ?lon
INSERT { GRAPH <urn:archivekg:inferred> { ?c geo:asWKT ?wkt } }
WHERE {
  GRAPH ?g { ?place akg:location ?c . ?c akg:latitude ?lat ; akg:longitude ?lon }
  BIND(STRDT(CONCAT("POINT(", STR(?lon), " ", STR(?lat), ")"), geo:wktLiteral) AS ?wkt)
}
