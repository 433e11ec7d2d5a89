package script

import (
	"bytes"
	"encoding/json"
)

// jsonUnmarshal decodes numbers as json.Number so that integers stay exact.
func jsonUnmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}
