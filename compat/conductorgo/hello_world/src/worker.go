// Hello World Application Using Conductor
package hello_world

import (
	"fmt"

	"github.com/batonhq/baton/model"
)

func Greet(task *model.Task) (interface{}, error) {
	return map[string]interface{}{
		"greetings": "Hello, " + fmt.Sprintf("%v", task.InputData["name"]),
	}, nil
}
